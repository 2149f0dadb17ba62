class ExportError(Exception):
    """A problem with the user's input (config, checkpoint, sam2 install) or a failed check; the message names it."""
