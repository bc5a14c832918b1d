// The entry point: help on stdout with status 0, every error on one line of stderr.

import Testing

@Test(arguments: [
  ["--help"], ["inspect", "--help"], ["inspect", "karras", "--help"], ["inspect", "pair", "-h"],
  ["help", "inspect", "curriculum"], [], ["inspect"],
])
func helpGoesToStdoutWithStatusZero(arguments: [String]) throws {
  let result = try cm(arguments)
  #expect(result.status == 0)
  #expect(result.stderr.isEmpty)
  #expect(result.stdout.contains("USAGE: cm"))
}

@Test func inspectHelpListsEverySubcommand() throws {
  let help = try cm(["inspect", "--help"]).stdout
  for name in ["karras", "curriculum", "ema-decay", "scalings", "distance", "lognormal", "pair"] {
    #expect(help.contains(name))
  }
}

@Test func pairHelpDocumentsTheTeacherDefaults() throws {
  let help = try cm(["inspect", "pair", "--help"]).stdout
  #expect(help.contains("zeros"))
  #expect(help.contains("(default: 0.5)"))
}

@Test(arguments: [
  BadInput(["bogus"], names: "bogus"),
  BadInput(["inspect", "bogus"], names: "bogus"),
  BadInput(["inspect", "karras"], names: "--count"),
  BadInput(["inspect", "karras", "--count", "3", "--bogus", "1"], names: "--bogus"),
  BadInput(["inspect", "karras", "--count"], names: "--count"),
])
func parserErrorsAreOneLine(input: BadInput) throws {
  try expectUsageError(input)
}
