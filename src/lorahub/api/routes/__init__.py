"""One module per resource of the REST API; each has ``add_routes(app, prefix)``."""
