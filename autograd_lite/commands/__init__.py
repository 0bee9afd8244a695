"""The subcommands of ``autograd-lite``, one module each (see ``autograd_lite.cli``)."""
