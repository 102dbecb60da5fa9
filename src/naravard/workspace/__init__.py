"""The pages of the people who work in naravard: each user's start page, each organisation's workspace, the analysts' overview and the indicator pages with unreleased values."""
