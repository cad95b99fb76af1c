export function RecordsPlaceholder() {
  return (
    <div className="empty-state">
      <h2>Records</h2>
      <p>
        Browsing, searching and filtering the records arrives with the query engine. Until then, open a record from a
        finding on the Integrity tab.
      </p>
    </div>
  );
}
