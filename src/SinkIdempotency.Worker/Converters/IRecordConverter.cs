using System.Text.Json.Nodes;
using SinkIdempotency.Sink;

namespace SinkIdempotency.Worker.Converters;

/// <summary>Turns raw key or value bytes into Connect data (Connect's <c>Converter.toConnectData</c>).</summary>
internal interface IRecordConverter
{
    (ConnectSchema? Schema, JsonNode? Value) ToConnectData(string topic, byte[]? data);
}
