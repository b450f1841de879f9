namespace SinkIdempotency.Testcontainers;

/// <summary>Finds the repository's <c>docker/connect</c> folder (the Connect image's Dockerfile).</summary>
internal static class ConnectDockerfile
{
    /// <summary>Looks for <c>docker/connect/Dockerfile</c> in the working folder, the harness's folder and their parents.</summary>
    /// <returns>The folder, or <see langword="null"/> when none is found.</returns>
    public static string? Find() => Find(Environment.CurrentDirectory) ?? Find(AppContext.BaseDirectory);

    /// <summary>Looks for <c>docker/connect/Dockerfile</c> in <paramref name="start"/> and its parents.</summary>
    /// <param name="start">The first folder to look in.</param>
    /// <returns>The folder, or <see langword="null"/>.</returns>
    public static string? Find(string start)
    {
        for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "docker", "connect");
            if (File.Exists(Path.Combine(candidate, "Dockerfile")))
            {
                return candidate;
            }
        }

        return null;
    }
}
