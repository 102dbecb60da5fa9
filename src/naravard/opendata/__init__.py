"""The open-data faces: the open API, Kolada v3 and PxWeb API 2.0."""
