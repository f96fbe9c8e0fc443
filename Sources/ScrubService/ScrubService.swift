import ClaimScrub
