"""Personal to-do (我的待办) and reminders."""
