"""Draws by lot: pools, the commitment and the seed, invitations, the resident panel."""
