"""What the backend does, one module per capability; the routers in api/routes only translate HTTP."""
