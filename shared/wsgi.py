"""WSGI entry for gunicorn: `gunicorn -w 1 --threads 50 'shared.wsgi:app'`."""

import os

from shared.app import create_app
from shared.config import load_settings
from shared.recall_timer import start_recall_timer

app = create_app(load_settings(os.environ.get("ANTRIAN_CONFIG", "config.yaml")))
start_recall_timer(app)
