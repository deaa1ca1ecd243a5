"""Sanad's custom actions (rasa-sdk). Each module serves one user goal; each class is one action.

Actions stay thin: read the tracker, ask ``bot.catalog`` or ``bot.eligibility``,
format the reply with ``actions.formatting``.
"""
