using System.Runtime.InteropServices;

namespace SinkIdempotency.Environments;

/// <summary>Finds the worker assembly and the <c>dotnet</c> host that runs it.</summary>
internal static class WorkerLocator
{
    public const string AssemblyName = "SinkIdempotency.Worker.dll";

    public static string FindWorker(string? configured)
    {
        var candidates = new List<string>();
        if (configured is not null)
        {
            return Path.GetFullPath(configured);
        }

        if (Environment.GetEnvironmentVariable(EmbeddedEnvironmentOptions.WorkerPathVariable) is { Length: > 0 } fromVariable)
        {
            candidates.Add(fromVariable);
        }

        candidates.Add(Path.Combine(AppContext.BaseDirectory, AssemblyName));

        // The sink-idempotency tool package carries a published worker in worker/.
        candidates.Add(Path.Combine(AppContext.BaseDirectory, "worker", AssemblyName));
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            foreach (var configuration in (string[])["release", "debug"])
            {
                candidates.Add(Path.Combine(directory.FullName, "artifacts", "bin", "SinkIdempotency.Worker", configuration, AssemblyName));
            }
        }

        foreach (var candidate in candidates)
        {
            // A worker copied next to the harness needs its runtimeconfig to run under dotnet.
            if (File.Exists(candidate) && File.Exists(Path.ChangeExtension(candidate, ".runtimeconfig.json")))
            {
                return Path.GetFullPath(candidate);
            }
        }

        throw new FileNotFoundException(
            $"{AssemblyName} was not found; build src/SinkIdempotency.Worker, reference it from the test project, set {EmbeddedEnvironmentOptions.WorkerPathVariable}, or call WithWorkerPath. Looked in: {string.Join(", ", candidates.Distinct())}",
            AssemblyName);
    }

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
