/** Colours that read well as a chip on white and behind white text. */
export const PALETTE = ['#dc2626', '#ea580c', '#d97706', '#65a30d', '#16a34a', '#0d9488', '#0891b2', '#2563eb', '#4f46e5', '#7c3aed', '#c026d3', '#db2777', '#64748b', '#1e293b'];
