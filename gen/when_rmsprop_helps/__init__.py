"""When does RMSprop help?: condition number × tolerance, alignment, dimension, schedules.

The modules of docs/when-rmsprop-helps.md; see README.md beside this file."""
