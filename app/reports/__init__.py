"""Printed output: recovery sheet now; monthly forms (indicator engine, PDF, XLSX/CSV) next."""
