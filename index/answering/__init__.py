"""Answering: a question in, ranked verbatim quotes with their citations out."""
