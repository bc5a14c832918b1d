// `cm bench`: one line of JSON per method, and its bad inputs. (It prints speeds; no test asserts
// a speed, since these machines are noisy.)

import Foundation
import Testing
import _TestSupport

@Suite struct BenchTests {
  @Test(arguments: [("ct", "ct-step", nil), ("cd-oracle", "cd-step", "oracle"), ("cd-edm", "cd-step", "edm")])
  func benchPrintsOneLineOfJSON(method: String, benchmark: String, teacher: String?) throws {
    let result = try cm([
      "bench", "--method", method, "--steps", "3", "--runs", "1", "--batch", "16", "--width", "8",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.filter { $0 == "\n" }.count == 1)
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect(json["benchmark"] as? String == benchmark)
    #expect(json["teacher"] as? String == teacher)
    #expect((json["steps_per_second_median"] as? Double).map { $0 > 0 } == true)
    #expect((json["peak_memory_mib"] as? Double).map { $0 > 0 } == true)
    #expect((json["gflops"] as? Double).map { $0 > 0 } == true)
    #expect((json["share_of_peak"] as? Double).map { $0 > 0 } == true)
    #expect((json["kernels_reason"] as? String)?.hasPrefix((json["kernels"] as? String ?? "?") + ":") == true)
    // The step itself allocates nothing once its buffers have their sizes (an allocation count,
    // not a speed: the same on every machine).
    #expect(json["step_allocations_per_step"] as? Double == 0, "\(result.stdout)")
  }

  /// 60 steps of K = 120 (K′ = 15): iCT's grid doubles inside the timed run and again inside the
  /// probe, which must not reallocate the grid, the pair sums or any other buffer, even in this
  /// unoptimised build.
  @Test(arguments: ["ct", "cd-oracle"])
  func noAllocationPerStepWhileTheGridGrows(method: String) throws {
    let result = try cm([
      "bench", "--method", method, "--steps", "60", "--runs", "1", "--batch", "16", "--width", "8",
      "--no-peak",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect(json["allocations_per_step"] as? Double == 0, "\(result.stdout)")
    #expect(json["step_allocations_per_step"] as? Double == 0, "\(result.stdout)")
  }

  @Test(arguments: [
    (["--method", "cd"], "--method"), (["--steps", "0"], "--steps"), (["--runs", "x"], "--runs"),
  ])
  func badBenchInput(arguments: [String], flag: String) throws {
    let result = try cm(["bench"] + arguments)
    #expect(result.status == 64)
    #expect(result.stderr.hasPrefix("error: ") && result.stderr.contains(flag), "\(result.stderr)")
  }
}
