"""The participant's own voice (issue 31): how a task felt, what they would like to try, and
next week in pictures. What a person said reaches instructors and admins and the person's own
tablet only; every answer and every instructor action on it is an audit event."""
