"""The pieces of the ``authclient`` command (``authclient.cli``): parser, commands, serving."""
