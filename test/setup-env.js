// Tests run in UTC whatever the machine says, and quietly.
process.env.TZ = 'UTC';
process.env.LOG_LEVEL = process.env.LOG_LEVEL || 'silent';
