"""The Frontend Driver Interface rules (FDI.md), sans-I/O: pure functions and data.

What lives here: the neutral request view (``request``), response effects (``effects``) and
the decisions (``rules``): which token to read, which transfer method, the anti-CSRF outcome,
what to write or clear, errors as responses, routing. No I/O library is imported, nothing
awaits; the time is passed in. Both flavors' ``web`` modules drive these functions.
"""
