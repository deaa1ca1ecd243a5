"""The staff console: a small self-hosted web app to review conversations and improve Sanad.

``models`` its tables (created and upgraded only by the Alembic ``migrations``),
``db`` sessions on them, ``indexer`` copies what staff filter on out of Rasa's
tracker store, ``auth`` accounts/sessions/CSRF, ``pii`` masking, ``queries`` what
the pages show, ``nlu_export`` reviewed examples as Rasa NLU YAML, ``charts``
server-rendered SVG, ``app`` the aiohttp web app (``python -m bot.console.app``).
"""
