using System.Runtime.InteropServices;

namespace SinkIdempotency.Environments;

/// <summary>Finds the worker assembly and the <c>dotnet</c> host that runs it.</summary>
internal static class WorkerLocator
{
    public const string AssemblyName = "SinkIdempotency.Worker.dll";

    public static string FindWorker(string? configured) => FindWorker(configured, Environment.GetEnvironmentVariable(EmbeddedEnvironmentOptions.WorkerPathVariable), AppContext.BaseDirectory);

    /// <summary>Returns the worker to start: the configured path, else the variable's, else the first worker next to the harness or in a repository build.</summary>
    /// <exception cref="FileNotFoundException">No worker was found; the message says where the package puts it and what to set.</exception>
    public static string FindWorker(string? configured, string? fromVariable, string baseDirectory)
    {
        if (configured is not null)
        {
            return Path.GetFullPath(configured);
        }

        if (fromVariable is { Length: > 0 })
        {
            // The team pointed somewhere: a wrong path is an error, never a reason to pick another worker.
            return IsRunnable(fromVariable)
                ? Path.GetFullPath(fromVariable)
                : throw new FileNotFoundException(
                    $"{EmbeddedEnvironmentOptions.WorkerPathVariable} is '{fromVariable}', but no {AssemblyName} with its .runtimeconfig.json is there. Point it at the worker assembly, or unset it to use the worker the SinkIdempotency package copies next to your test assembly.",
                    fromVariable);
        }

        // The SinkIdempotency package copies the worker into its consumer's output, and the tool package holds it beside the tool.
        var candidates = new List<string> { Path.Combine(baseDirectory, AssemblyName) };

        // Inside this repository, the worker's own build output.
        for (var directory = new DirectoryInfo(baseDirectory); directory is not null; directory = directory.Parent)
        {
            foreach (var configuration in (string[])["release", "debug"])
            {
                candidates.Add(Path.Combine(directory.FullName, "artifacts", "bin", "SinkIdempotency.Worker", configuration, AssemblyName));
            }
        }

        if (candidates.Find(IsRunnable) is { } found)
        {
            return Path.GetFullPath(found);
        }

        throw new FileNotFoundException(
            $"{AssemblyName} was not found next to the harness ({baseDirectory}). Reference the SinkIdempotency.Xunit (or SinkIdempotency) package from the test project: "
            + $"its build copies the worker into the output, unless SinkIdempotencyCopyWorker is false. Or set {EmbeddedEnvironmentOptions.WorkerPathVariable} "
            + $"to a {AssemblyName}, or call EmbeddedEnvironmentBuilder.WithWorkerPath. Inside the SinkIdempotency repository, build src/SinkIdempotency.Worker. "
            + $"Looked in: {string.Join(", ", candidates)}",
            AssemblyName);
    }

    // A worker copied somewhere needs its runtimeconfig to run under dotnet.
    private static bool IsRunnable(string path) => File.Exists(path) && File.Exists(Path.ChangeExtension(path, ".runtimeconfig.json"));

    public static string FindDotnet()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath))
        {
            return hostPath;
        }

        var name = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        if (Environment.ProcessPath is { } processPath && Path.GetFileName(processPath) == name)
        {
            return processPath;
        }

        // The shared runtime lives at <dotnet root>/shared/Microsoft.NETCore.App/<version>/.
        var runtime = new DirectoryInfo(RuntimeEnvironment.GetRuntimeDirectory());
        var root = runtime.Parent?.Parent?.Parent;
        if (root is not null && File.Exists(Path.Combine(root.FullName, name)))
        {
            return Path.Combine(root.FullName, name);
        }

        return name;
    }
}
