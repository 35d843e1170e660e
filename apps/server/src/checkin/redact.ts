/**
 * Log paths censored on every logger of the server (main.ts passes them to pino's redact): the
 * check-in body of POST /tickets wherever a log line might carry it (a request body, an error's
 * input, a child logger's bindings), and the fields by their names one and two levels down.
 * Nothing logs a request body today (request logging is off); this keeps it so when someone adds
 * a line. docs/privacy.md: "the name and the ID number never reach a log line".
 */
export const CHECK_IN_LOG_REDACT: readonly string[] = [
  'checkIn',
  '*.checkIn',
  '*.*.checkIn',
  'body.checkIn',
  'req.body.checkIn',
  'request.body.checkIn',
  'input.checkIn',
  'fullName',
  '*.fullName',
  '*.*.fullName',
  'idNumber',
  '*.idNumber',
  '*.*.idNumber',
  'dateOfBirth',
  '*.dateOfBirth',
  '*.*.dateOfBirth',
];
