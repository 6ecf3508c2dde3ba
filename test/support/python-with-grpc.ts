const DEBIAN_DIST_PACKAGES = "/usr/lib/python3/dist-packages";
// The generated *_pb2.py need protobuf >= 3.20 (google.protobuf.internal.builder).
const PROBE = "import grpc, google.protobuf; from google.protobuf.internal import builder; print(grpc.__version__, google.protobuf.__version__)";

/** A Python interpreter that can import grpc and protobuf, and the path it needs for them. */
export interface PythonWithGrpc {
  /** The interpreter to run. */
  command: string;
  /** Directories to put on PYTHONPATH for grpc and protobuf (Debian's dist-packages, or none). */
  pythonPath: string[];
  /** e.g. "/usr/bin/python3 (grpcio 1.51.1, protobuf 4.21.12)", for the test log. */
  description: string;
}

/**
 * Finds the interpreter the Python client's tests run with: `$VECTRON_PYTHON`, `python3`
 * or `/usr/bin/python3`, each as it is, then each with Debian's dist-packages on its path
 * (Debian's python3-grpcio and python3-protobuf install there, which a pyenv `python3`
 * does not see). Throws, saying what to install, when none can import grpc: the tests
 * must fail then, never skip.
 */
export function findPythonWithGrpc(): PythonWithGrpc {
  const interpreters = [...new Set([process.env.VECTRON_PYTHON, "python3", "/usr/bin/python3"].filter((c): c is string => !!c))];
  const tried: string[] = [];
  // Every interpreter as it is first: Debian's own python3 sees its packages natively.
  for (const pythonPath of [[], [DEBIAN_DIST_PACKAGES]]) {
    for (const command of interpreters) {
      const label = pythonPath.length ? `${command} with PYTHONPATH=${pythonPath.join(":")}` : command;
      const answer = probe(command, pythonPath);
      if (answer.ok) {
        const [grpcio, protobuf] = answer.versions.split(" ");
        return { command, pythonPath, description: `${label} (grpcio ${grpcio}, protobuf ${protobuf})` };
      }
      tried.push(`${label}: ${answer.problem}`);
    }
  }
  throw new Error(
    "No Python interpreter can import grpc and google.protobuf (>= 3.20) for the Python client's tests:\n  " +
      tried.join("\n  ") +
      "\nInstall Debian's packages (apt-get install -y python3-grpcio python3-protobuf), " +
      "or set VECTRON_PYTHON to an interpreter that has grpcio and protobuf.",
  );
}

function probe(command: string, pythonPath: string[]): { ok: true; versions: string } | { ok: false; problem: string } {
  try {
    const env = { ...process.env, PYTHONPATH: [...pythonPath, process.env.PYTHONPATH].filter(Boolean).join(":") };
    const run = Bun.spawnSync([command, "-c", PROBE], { env, stdout: "pipe", stderr: "pipe" });
    if (run.exitCode === 0) return { ok: true, versions: run.stdout.toString().trim() };
    const lines = run.stderr.toString().trim().split("\n");
    return { ok: false, problem: lines[lines.length - 1] || `exit code ${run.exitCode}` };
  } catch (error) {
    return { ok: false, problem: `cannot run it (${(error as Error).message})` };
  }
}
