"""Test and benchmark support shipped with the package: real servers with fault injection."""
