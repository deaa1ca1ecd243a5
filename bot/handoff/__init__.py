"""Human handoff: a founder asks for an advisor and a staff member joins the same chat.

``models`` the tables (requests, their messages both ways, the audit trail),
``desk`` what happens to them (request, take, reply, hand back, resolve; the
channels' routing and delivery), ``hours`` office hours, ``texts`` what the
founder is told. Everything goes through the database, so any number of Rasa,
widget or console processes share one state.
"""
