"""In the course's network: the assignment reproduced, tuned, and taken apart.

The modules of docs/course-network.md; see README.md beside this file."""
