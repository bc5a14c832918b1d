// Running the package's own executables (cm, the tutorials) from tests, and capturing their output.
import Foundation

/// What a finished process printed and how it exited.
public struct ProcessResult: Sendable {
  public var stdout: String
  public var stderr: String
  public var status: Int32
}

/// The folder holding the built products (`.build/<config>`): the test bundle sits there too.
public func productsDirectory() -> URL {
  let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
  var dir = bundle.deletingLastPathComponent()
  // On Linux arguments[0] is …/debug/<Package>PackageTests.xctest; on macOS it is inside a bundle.
  while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("cm").path),
    dir.pathComponents.count > 1
  {
    dir = dir.deletingLastPathComponent()
  }
  return dir
}

/// The repository's root folder (the one holding Package.swift), found from this source file.
public func repositoryRoot(filePath: String = #filePath) -> URL {
  URL(fileURLWithPath: filePath)
    .deletingLastPathComponent()  // _TestSupport
    .deletingLastPathComponent()  // Sources
    .deletingLastPathComponent()
}

/// Runs a built product by name with arguments and optional standard input; waits for it.
public func runProduct(
  _ name: String, _ arguments: [String], stdin: String? = nil,
  currentDirectory: URL? = nil, environment: [String: String]? = nil
) throws -> ProcessResult {
  let process = Process()
  process.executableURL = productsDirectory().appendingPathComponent(name)
  process.arguments = arguments
  if let currentDirectory { process.currentDirectoryURL = currentDirectory }
  if let environment { process.environment = environment }
  let outPipe = Pipe()
  let errPipe = Pipe()
  let inPipe = Pipe()
  process.standardOutput = outPipe
  process.standardError = errPipe
  process.standardInput = inPipe
  try process.run()
  if let stdin { inPipe.fileHandleForWriting.write(Data(stdin.utf8)) }
  try inPipe.fileHandleForWriting.close()
  // Read both pipes to the end before waiting, so a chatty process cannot block on a full pipe.
  let errData = ReadBox()
  let group = DispatchGroup()
  group.enter()
  DispatchQueue.global().async {
    errData.data = errPipe.fileHandleForReading.readDataToEndOfFile()
    group.leave()
  }
  let outData = outPipe.fileHandleForReading.readDataToEndOfFile()
  group.wait()
  process.waitUntilExit()
  return ProcessResult(
    stdout: String(decoding: outData, as: UTF8.self),
    stderr: String(decoding: errData.data, as: UTF8.self),
    status: process.terminationStatus)
}

private final class ReadBox: @unchecked Sendable {
  var data = Data()
}
