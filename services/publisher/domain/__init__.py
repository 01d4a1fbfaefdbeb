"""The publisher's pure core: requests per platform, answers classified, retry timing."""
