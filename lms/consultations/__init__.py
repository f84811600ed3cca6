"""The academy's expert consultations to organisations: recording them."""
