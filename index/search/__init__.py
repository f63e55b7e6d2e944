"""The passage index (Whoosh) behind one small interface: schema, searches, writes."""
