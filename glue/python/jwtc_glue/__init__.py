"""jwtc_glue: the code the Python adapters share (glue/python/README.md). Standard library
only: no module here imports a JWT library; what differs per library is handed in."""
