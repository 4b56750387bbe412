"""Hello World for Knative on EKS: the modern form of the 2019 helloworld-python sample.

GET / answers "Hello World: {TARGET}!", where TARGET comes from the environment.
"""
import os

from flask import Flask

DEFAULT_TARGET = "NOT SPECIFIED"
DEFAULT_PORT = 8080


def create_app():
    """Build the Flask application."""
    flask_app = Flask(__name__)

    @flask_app.route("/")
    def hello_world():
        # Read TARGET per request so a changed environment is honoured.
        target = os.environ.get("TARGET", DEFAULT_TARGET)
        return f"Hello World: {target}!"

    return flask_app


app = create_app()


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=int(os.environ.get("PORT", DEFAULT_PORT)))
