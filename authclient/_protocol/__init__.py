"""The sans-I/O core of authclient: requests described, responses parsed; no sockets, no awaits.

Both flavors (and the local core's tests) drive these pure functions; only sending differs.
"""
