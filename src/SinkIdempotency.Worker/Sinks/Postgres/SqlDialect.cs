using System.Data.Common;
using System.Text;
using System.Text.Json.Nodes;
using SinkIdempotency.Sink;

namespace SinkIdempotency.Worker.Sinks.Postgres;

/// <summary>
/// Builds the statements one database's flavour of the JDBC sink issues (the sink's <c>DatabaseDialect</c>): identifier
/// quoting, placeholders, the upsert form, column types, and how to open a connection and bind a value.
/// </summary>
internal abstract class SqlDialect
{
    /// <summary>Gets the dialect's name as the JDBC sink's <c>dialect.name</c> spells it.</summary>
    public abstract string Name { get; }

    /// <summary>Gets the query listing a table's columns; its parameters are the table name, then the schema or database (null for the connection's own).</summary>
    public abstract string ColumnsQuery { get; }

    /// <summary>Picks the dialect a JDBC URL names, as the JDBC sink's <c>DatabaseDialects.findBestFor</c> does by subprotocol.</summary>
    /// <exception cref="ArgumentException">The URL names a database this sink does not write to.</exception>
    public static SqlDialect ForUrl(string url)
    {
        var text = url.Trim();
        var scheme = text.StartsWith("jdbc:", StringComparison.OrdinalIgnoreCase) ? text[5..] : text;
        return scheme switch
        {
            _ when scheme.StartsWith("mysql:", StringComparison.OrdinalIgnoreCase) || scheme.StartsWith("mariadb:", StringComparison.OrdinalIgnoreCase) => MySqlDialect.Instance,
            _ when scheme.StartsWith("postgresql:", StringComparison.OrdinalIgnoreCase) || scheme.StartsWith("postgres:", StringComparison.OrdinalIgnoreCase) || !scheme.Contains("://", StringComparison.Ordinal) => PostgreSqlDialect.Instance,
            _ => throw new ArgumentException(
                $"The URL names a database this sink does not write to ('{scheme[..Math.Max(0, scheme.IndexOf(':', StringComparison.Ordinal))]}'); use jdbc:postgresql://, jdbc:mysql:// or jdbc:mariadb://."),
        };
    }

    /// <summary>Turns the sink's <c>connection.url</c> and credentials into the driver's connection string.</summary>
    public abstract string ConnectionString(string url, string? user, string? password);

    /// <summary>Creates a closed connection for a connection string this dialect made.</summary>
    public abstract DbConnection CreateConnection(string connectionString);

    /// <summary>Binds one Connect value as a parameter of the column's type.</summary>
    public abstract DbParameter Parameter(ConnectSchema schema, JsonNode? value);

    /// <summary>Decides whether an exception is the database or the connection failing (retried), not a bug.</summary>
    public abstract bool IsSqlError(Exception exception);

    /// <summary>Quotes one identifier.</summary>
    public abstract string Quote(string identifier);

    /// <summary>Gets the column type for a Connect schema.</summary>
    /// <param name="schema">The field's schema.</param>
    /// <param name="isKey">Whether the column is part of the primary key (MySQL cannot index unbounded text).</param>
    public abstract string SqlType(ConnectSchema schema, bool isKey);

    /// <summary>Builds the placeholder of the parameter at a 1-based position.</summary>
    public abstract string Placeholder(int position);

    /// <summary>Gets a value indicating whether creating or altering a table ends the open transaction (MySQL's implicit commit), so a put's tables are made ready before its transaction begins.</summary>
    public virtual bool DdlEndsTransaction => false;

    /// <summary>Creates a batch that times out as the connection's commands do (the URL's socket timeout).</summary>
    public virtual DbBatch CreateBatch(DbConnection connection) => connection.CreateBatch();

    public string QuoteTable(string table) => string.Join(".", table.Split('.').Select(Quote));

    public string Insert(string table, TableShape shape)
    {
        var columns = shape.AllColumns.ToList();
        return $"INSERT INTO {QuoteTable(table)} ({string.Join(",", columns.Select(c => Quote(c.Name)))}) VALUES ({string.Join(",", Enumerable.Range(1, columns.Count).Select(Placeholder))})";
    }

    /// <summary>Builds an insert that overwrites the row with the same key; its parameters are the key columns, then the value columns.</summary>
    public string Upsert(string table, TableShape shape)
    {
        if (shape.KeyColumns.Count == 0)
        {
            throw new ConnectException($"Write to table '{table}' in UPSERT mode requires key field names to be known, check the primary key configuration");
        }

        return Insert(table, shape) + UpsertClause(shape);
    }

    /// <summary>Builds an UPDATE whose parameters are the value columns first, then the key columns.</summary>
    public string Update(string table, TableShape shape)
    {
        if (shape.KeyColumns.Count == 0)
        {
            throw new ConnectException($"Write to table '{table}' in UPDATE mode requires key field names to be known, check the primary key configuration");
        }

        var n = 1;
        var set = string.Join(", ", shape.ValueColumns.Select(c => $"{Quote(c.Name)} = {Placeholder(n++)}"));
        var where = string.Join(" AND ", shape.KeyColumns.Select(c => $"{Quote(c.Name)} = {Placeholder(n++)}"));
        return $"UPDATE {QuoteTable(table)} SET {set} WHERE {where}";
    }

    public string Delete(string table, TableShape shape)
    {
        var n = 1;
        return $"DELETE FROM {QuoteTable(table)} WHERE {string.Join(" AND ", shape.KeyColumns.Select(c => $"{Quote(c.Name)} = {Placeholder(n++)}"))}";
    }

    public string CreateTable(string table, TableShape shape)
    {
        var builder = new StringBuilder("CREATE TABLE ").Append(QuoteTable(table)).Append(" (\n");
        builder.Append(string.Join(",\n", shape.AllColumns.Select(ColumnDefinition)));
        if (shape.KeyColumns.Count > 0)
        {
            builder.Append(",\nPRIMARY KEY(").Append(string.Join(",", shape.KeyColumns.Select(c => Quote(c.Name)))).Append(')');
        }

        return builder.Append(')').ToString();
    }

    public string AddColumns(string table, IEnumerable<ColumnSpec> columns) =>
        $"ALTER TABLE {QuoteTable(table)} " + string.Join(", ", columns.Select(c => "ADD " + ColumnDefinition(c with { Schema = new ConnectSchema { Type = c.Schema.Type, Name = c.Schema.Name, IsOptional = true, Parameters = c.Schema.Parameters } })));

    public string ColumnDefinition(ColumnSpec column) =>
        $"{Quote(column.Name)} {SqlType(column.Schema, column.IsKey)}{(column.IsKey || !column.Schema.IsOptional ? " NOT NULL" : " NULL")}";

    /// <summary>Builds what follows an INSERT to make it overwrite the row whose key it repeats.</summary>
    protected abstract string UpsertClause(TableShape shape);

    protected ConnectException NoMapping(ConnectSchema schema) =>
        new($"{schema.Type.ToString().ToUpperInvariant()} ({Name}) type doesn't have a mapping to the SQL database column type");
}
