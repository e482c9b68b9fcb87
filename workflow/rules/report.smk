# Report: figures and tables that a physicist reads instead of the raw files.


def report_targets():
    return []
