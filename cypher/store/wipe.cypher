// wipe: delete every node and relationship (test stores only; never called on a user's store).
MATCH (n)
DETACH DELETE n
