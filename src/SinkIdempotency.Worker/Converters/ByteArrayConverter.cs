using System.Text.Json.Nodes;
using SinkIdempotency.Sink;

namespace SinkIdempotency.Worker.Converters;

/// <summary>Passes bytes through with an optional-bytes schema (Connect's <c>ByteArrayConverter</c>); bytes travel as base64 text.</summary>
internal sealed class ByteArrayConverter : IRecordConverter
{
    private static readonly ConnectSchema OptionalBytes = new() { Type = ConnectSchemaType.Bytes, IsOptional = true };

    public (ConnectSchema? Schema, JsonNode? Value) ToConnectData(string topic, byte[]? data) =>
        (OptionalBytes, data is null ? null : JsonValue.Create(Convert.ToBase64String(data)));
}
