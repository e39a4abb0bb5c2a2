"""The review app (``horing app``): analysts and planners correct the machine in a browser; see
:mod:`webapp.main`."""
