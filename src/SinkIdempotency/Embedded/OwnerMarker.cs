using System.Globalization;
using System.Text.Json;

namespace SinkIdempotency.Embedded;

/// <summary>Records which process owns an instance folder, so a later run can tell a live cluster from one a killed run left.</summary>
internal sealed record OwnerMarker(int OwnerPid, long? OwnerStartTicks, DateTimeOffset CreatedAt)
{
    public const string FileName = "owner.json";

    public static OwnerMarker ForCurrentProcess(DateTimeOffset now) =>
        new(UnixProcess.CurrentPid, UnixProcess.StartTicks(UnixProcess.CurrentPid), now);

    public bool OwnerIsAlive => UnixProcess.IsAlive(OwnerPid, OwnerStartTicks);

    public static OwnerMarker? TryRead(string instanceDirectory)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(instanceDirectory, FileName)));
            var root = document.RootElement;
            var ticks = root.TryGetProperty("ownerStartTicks", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetInt64() : (long?)null;
            return new OwnerMarker(root.GetProperty("ownerPid").GetInt32(), ticks, root.GetProperty("createdAt").GetDateTimeOffset());
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    public void Write(string instanceDirectory)
    {
        var json = string.Create(
            CultureInfo.InvariantCulture,
            $$"""{"ownerPid":{{OwnerPid}},"ownerStartTicks":{{(OwnerStartTicks is { } ticks ? ticks.ToString(CultureInfo.InvariantCulture) : "null")}},"createdAt":"{{CreatedAt:O}}"}""");
        File.WriteAllText(Path.Combine(instanceDirectory, FileName), json);
    }
}
