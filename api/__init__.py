"""The planning API and web page: a thin HTTP adapter over ``anatomy``.

``api.main.create_app()`` builds the FastAPI app; ``hepatic serve`` runs it. Nothing in
``anatomy`` imports this package.
"""
