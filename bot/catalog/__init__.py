"""The program catalog: YAML files under ``data/``, their database tables, and the queries on them."""
