"""The bottom layer: language, dates, numbers and tables, and the errors every layer raises."""
