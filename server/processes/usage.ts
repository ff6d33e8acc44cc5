/** The help text of `helpdesk process`, apart from the commands so that printing it loads nothing else. */
export const PROCESS_USAGE = `Usage: helpdesk process <command>

  validate <file> [--references]     check a process file (JSON, BPMN or OTOBO YAML); with
                                     --references also against this installation's queues, fields ...
  import <file|folder> [--create-missing] [--deploy] [--dry-run] [--new-version | --key <key>]
                                     import process files; --dry-run reports per file: will create,
                                     new version of, key conflict or refused, with the reasons and
                                     every element whose behaviour the conversion changed. A key that
                                     is taken needs --new-version (of that process) or --key <other>
  export <key> [--format json|bpmn] [--version N|latest|draft] [--output file]
  deploy <key> [--create-missing]    deploy the draft as a new version
  list                               processes with their latest version and state
  diff <key> <from> <to>             versions (numbers or "draft") of an installed process
  diff <fileA> <fileB>               two process files
  test <file|dir> [--scenario name]  run the saved test scenarios of process files in the
                                     simulator (no database; exit 1 when one fails)

Works beside a running server and with --url (see helpdesk help).
Exit codes: 0 ok, 1 invalid or refused, 2 usage, 3 data folder in use, 4 no server to use.`;
