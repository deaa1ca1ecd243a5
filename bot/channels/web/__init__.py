"""Sanad on websites: a chat widget (one script tag) and the small web app that serves it.

``server`` is the web app (the widget's script, a demo page, the widget's API);
``store`` keeps every message of every widget conversation; ``static/`` holds the
widget itself, plain JavaScript with no build step.
"""
