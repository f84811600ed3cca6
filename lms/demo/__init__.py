"""The demo academy: a living academy for a first look, loaded by `flask demo seed`."""

from lms.demo.loader import seed

__all__ = ['seed']
