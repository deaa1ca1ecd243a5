"""Sanad on Telegram: a bridge between the Bot API (python-telegram-bot) and Rasa's REST webhook.

Run it with ``python -m bot.channels.telegram.bridge`` (the run command starts it when
``TELEGRAM_BOT_TOKEN`` is set); the flow is told in ``bridge``'s docstring.
"""
