#!/bin/sh
# The function's handler: /opt/bootstrap (from the layer) runs ${LAMBDA_TASK_ROOT}/run.sh, which
# starts the app. exec keeps the app as the process Lambda signals at shutdown.
exec node app.js
