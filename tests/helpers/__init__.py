"""What several test modules share: paths and seeds, readers of the built files, hostile inputs,
the golden-file check. Test modules import from here, never from each other or from a conftest."""
