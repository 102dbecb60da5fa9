"""The embedded demo: accounts, rounds, coding, indicators and the 2020 follow-up, built from data/."""
