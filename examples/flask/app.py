"""A Flask app in a container image with lambda-adapter. Nothing in it knows about Lambda."""
import os
import time

from flask import Flask, Response, jsonify, request

app = Flask(__name__)


@app.get("/")
def index():
    return "Hello from Flask, behind lambda-adapter!"


@app.get("/greet/<name>")
def greet(name):
    return jsonify(greeting=f"Hello, {name}", lang=request.args.get("lang", "en"))


@app.post("/echo")
def echo():
    return jsonify(received=request.get_json(silent=True), headers=dict(request.headers)), 201


@app.get("/stream")
def stream():
    """Lines one by one: with a streaming Function URL (the CDK app) each arrives as it is sent."""

    def lines():
        for i in range(3):
            yield f"line {i}\n"
            time.sleep(0.1)

    return Response(lines(), mimetype="text/plain")


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "8080")))
